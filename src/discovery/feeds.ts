import type { FastifyInstance } from 'fastify';
import type { DiscoveryDeps } from './deps.ts';

/** Per-journal web feeds: RSS 2.0 and Atom 1.0. */
export function feedRoutes(_app: FastifyInstance, _deps: DiscoveryDeps): void {}
