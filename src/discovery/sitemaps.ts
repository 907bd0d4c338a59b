import type { FastifyInstance } from 'fastify';
import type { DiscoveryDeps } from './deps.ts';

/** Sitemaps (sitemaps.org 0.9) and robots.txt. */
export function sitemapRoutes(_app: FastifyInstance, _deps: DiscoveryDeps): void {}
