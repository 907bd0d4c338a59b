/**
 * What every HTTP answer stands on: security headers, body limits, CSRF-aware body rules, caching
 * and the error handler (basics.ts and its parts), typed input schemas (schemas.ts), and errors as
 * problem details for the API (problems.ts) — pages get HTML error pages, API addresses problem+json.
 */
export * from './schemas.ts';
export * from './problems.ts';
export { registerApiValidation } from './validation.ts';
export * from './basics.ts';
