/** Where the time comes from: the real clock in the server, a controllable one in tests (throttling, expiry). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
