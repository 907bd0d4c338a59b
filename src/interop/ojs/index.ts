import type { FastifyInstance } from 'fastify';

/**
 * OJS addresses that keep working in Revista. OJS serves journals under `/index.php/{journal}/…`
 * unless its rewrite rules are on; indexers and readers hold such links for years, so they get a
 * permanent redirect to the same path without `index.php`, query string kept.
 */
export function withoutIndexPhp(url: string): string | undefined {
  const match = /^\/index\.php(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!match) return undefined;
  const path = match[1] && match[1] !== '/' ? match[1] : '/';
  return `${path.replace(/^\/+/, '/')}${match[2] ?? ''}`;
}

export async function ojsCompatibilityPlugin(app: FastifyInstance): Promise<void> {
  const redirect = async (request: { url: string }, reply: { redirect: (url: string, code: number) => unknown }) => {
    const target = withoutIndexPhp(request.url);
    return reply.redirect(target ?? '/', 301);
  };
  app.get('/index.php', redirect);
  app.get('/index.php/*', redirect);
}
