import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs. Request headers are never logged by the service; redaction is a second
 * line of defence should a header object ever reach a log call.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({
    name: 'vigil-monitor',
    level,
    redact: { paths: ['authorization', 'headers.authorization', 'req.headers.authorization', '*.headers.authorization', 'token', '*.token'], censor: '[redacted]' },
  }, destination ?? pino.destination(2));
}
