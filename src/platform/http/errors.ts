/**
 * The errors a route may throw on purpose. The app's error handler (http/index.ts) turns each into
 * its status and a page in the reader's language; anything else is a 500 with a request id.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'not found') {
    super(404, message);
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string) {
    super(400, message);
  }
}

/** 403: signed in, but not allowed; or (`reason: 'csrf'`) a form without its valid token. */
export class ForbiddenError extends HttpError {
  constructor(readonly reason: 'forbidden' | 'csrf' = 'forbidden') {
    super(403, reason);
  }
}

/** A protected page asked for without a session: GET goes to the sign-in page, anything else is refused. */
export class SignInRequiredError extends HttpError {
  constructor(readonly loginUrl: string) {
    super(401, 'sign in required');
  }
}

/** 429: too many attempts; `retryAfterSeconds` goes into Retry-After. */
export class TooManyRequestsError extends HttpError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too many requests');
  }
}

/** 503: the server is too busy for this right now (a queue is full); `retryAfterSeconds` goes into Retry-After. */
export class ServiceBusyError extends HttpError {
  constructor(readonly retryAfterSeconds: number) {
    super(503, 'the server is busy: try again in a few seconds');
  }
}

const MAX_ID = 2147483647;

/** A route's numeric id: anything that is not a positive 32-bit integer names nothing, so 404. */
export function parseId(value: string): number {
  if (!/^[0-9]{1,10}$/.test(value)) throw new NotFoundError(`not an id: ${value}`);
  const id = Number(value);
  if (id < 1 || id > MAX_ID) throw new NotFoundError(`not an id: ${value}`);
  return id;
}
