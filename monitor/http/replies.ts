import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { isVigilError, type VigilError } from '../../common/errors.ts';
import { bearerToken, roleAllows, type Role, type TokenStore } from './auth.ts';
import { monitorErrors } from '../errors.ts';

/** Sends a coded error as `{statusCode, error, message, code}`. */
export function sendError(res: Response, err: VigilError): void {
  res.status(err.status).type('application/json').send(JSON.stringify(err.toReply()));
}

/**
 * Requires a bearer token with at least `need`. `tokens` undefined means --insecure-no-auth.
 * 401 without a valid token, 403 with a weaker role.
 */
export function requireRole(tokens: TokenStore | undefined, need: Role): RequestHandler {
  return (req, res, next) => {
    if (!tokens) return next();
    const token = bearerToken(req.get('authorization'));
    const role = token === undefined ? undefined : tokens.roleOf(token);
    if (!role) {
      res.set('www-authenticate', 'Bearer realm="vigil"');
      return sendError(res, monitorErrors.VIGIL_MONITOR_UNAUTHORIZED());
    }
    if (!roleAllows(role, need)) return sendError(res, monitorErrors.VIGIL_MONITOR_FORBIDDEN({ role, route: `${req.method} ${req.path}`, needed: need }));
    next();
  };
}

/** 415 unless the body is declared JSON (checked before the body is read). */
export const requireJson: RequestHandler = (req, res, next) => {
  if (!req.is('application/json')) return sendError(res, monitorErrors.VIGIL_MONITOR_UNSUPPORTED_MEDIA_TYPE({ contentType: req.get('content-type') ?? '(none)' }));
  next();
};

interface BodyParserError { type?: string; status?: number; message?: string; limit?: number }

/** The last middleware: maps body-parser failures and coded errors to replies; never leaks a stack. */
export function errorHandler(logger: Logger, limit: number) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (isVigilError(err)) return sendError(res, err);
    const bp = err as BodyParserError;
    if (bp.type === 'entity.too.large') return sendError(res, monitorErrors.VIGIL_MONITOR_BODY_TOO_LARGE({ limit }));
    if (bp.type === 'entity.parse.failed') return sendError(res, monitorErrors.VIGIL_MONITOR_BAD_JSON({ reason: String(bp.message ?? 'parse error').slice(0, 200) }));
    if (bp.type === 'encoding.unsupported' || bp.type === 'charset.unsupported') return sendError(res, monitorErrors.VIGIL_MONITOR_UNSUPPORTED_MEDIA_TYPE({ contentType: req.get('content-type') ?? '(none)' }));
    if (typeof bp.status === 'number' && bp.status >= 400 && bp.status < 500) return sendError(res, monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: '(body)', rule: String(bp.message ?? 'unreadable') }));
    logger.error({ err: (err as Error)?.stack ?? String(err), method: req.method, path: req.path }, 'unhandled error');
    sendError(res, monitorErrors.VIGIL_MONITOR_INTERNAL({ reason: 'see the service log' }));
  };
}
