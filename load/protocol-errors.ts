import { defineErrors } from '../common/errors.ts';

/** Coded errors of the protocol options of a load run (HTTP/2, gRPC). Documented in docs/errors.md, section "load". */
export const protocolErrors = defineErrors({
  VIGIL_LOAD_BAD_PROTOCOL_OPTION: { message: '{flag} {value} is not valid: {rule}' },
});
