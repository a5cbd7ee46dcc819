import { defineErrors } from '../../common/errors.ts';

/** Errors of `vigil load prompts`. */
export const promptsErrors = defineErrors({
  VIGIL_PROMPTS_UNREADABLE: { message: 'prompts file {file} cannot be read: {reason}' },
  VIGIL_PROMPTS_MALFORMED: { message: 'prompts file {file} is malformed at {where}: {rule}; nothing was written' },
  VIGIL_PROMPTS_EMPTY: { message: 'prompts file {file} holds no usable prompt ({skipped}); nothing was written' },
  VIGIL_PROMPTS_BAD_OPTION: { message: '{name} {value} is not valid: {rule}' },
});
