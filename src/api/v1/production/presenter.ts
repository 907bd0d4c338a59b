import { problem, sendProblem, closeIfBodyUnread, type Static } from '../../../platform/http/index.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProductionError, ProductionGalley, ProofRequest } from '../../../workflow/index.ts';
import type { Galley, Proof } from './schema.ts';
import type { WorkflowProblem } from '../submissions/workflow-schema.ts';

export interface Where {
  baseUrl: string;
  journalPath: string;
}

export function presentGalley(g: ProductionGalley, where: Where, submissionId: number, publicationId: number): Static<typeof Galley> {
  return {
    id: g.id,
    publicationId,
    label: g.label,
    locale: g.locale,
    seq: g.seq,
    format: g.format,
    urlRemote: g.remoteUrl,
    file: g.file ? { name: g.file.name, mimetype: g.file.mimeType, fileSize: g.file.sizeBytes } : null,
    assets: g.assets.map((a) => ({ id: a.id, name: a.name, mimetype: a.file.mimeType, fileSize: a.file.sizeBytes, createdAt: a.createdAt.toISOString() })),
    missingAssets: g.missing,
    urlPreview: `${where.baseUrl}/${where.journalPath}/workflow/index/${submissionId}/galleys/${g.id}/preview`,
    _href: `${where.baseUrl}/${where.journalPath}/api/v1/submissions/${submissionId}/publications/${publicationId}/galleys/${g.id}`,
  };
}

export function presentProof(p: ProofRequest, where: Where): Static<typeof Proof> {
  return {
    id: p.id,
    submissionId: p.submissionId,
    publicationId: p.publicationId,
    authorUserId: p.authorId,
    requestedByUserId: p.requestedBy,
    message: p.message,
    status: p.status,
    response: p.response,
    dateAnswered: p.answeredAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
    urlProofPage: `${where.baseUrl}/${where.journalPath}/workflow/index/${p.submissionId}/proofs/${p.id}`,
    _href: `${where.baseUrl}/${where.journalPath}/api/v1/submissions/${p.submissionId}/proofs/${p.id}`,
  };
}

const WORDS: Record<ProductionError['code'], string> = {
  'not-in-production': 'galleys and proofs change only while the submission is in production, or scheduled and not yet published (a published article changes through a new version)',
  'label-missing': 'give the galley a label',
  'locale-not-allowed': 'the locale is not one of the journal’s languages',
  'galley-unknown': 'the publication has no such galley',
  'galley-type-not-allowed': 'a galley is a PDF, HTML, JATS XML or EPUB file (its type read from its bytes)',
  'file-too-large': 'the file is larger than this kind of file takes',
  'file-empty': 'the file is empty (or none was sent)',
  'file-unknown': 'the submission has no such production-ready file (stage `production`)',
  'file-or-url': 'give `urlRemote` or `submissionFileId`, or upload a file',
  'url-invalid': 'the address must be an http:// or https:// URL',
  'not-html': 'only an HTML galley has assets',
  'asset-name-invalid': 'the name must be relative: letters, digits, spaces, `.`, `-`, `_`, folders separated by `/`, no `..`',
  'asset-type-not-allowed': 'an asset is an image (PNG, JPEG, GIF, WebP, SVG), a style sheet (CSS) or a font (WOFF, WOFF2)',
  'asset-unknown': 'the galley has no such asset',
  'authors-missing': 'name at least one author',
  'not-an-author': 'proofs go only to users who are authors of the submission',
  'no-galleys': 'the publication has no galley to check yet',
  'proof-unknown': 'the submission has no such proof request (for you)',
  'proof-answered': 'the proof request has been answered or cancelled already',
  'response-missing': 'say what to correct (`response`)',
  'too-long': 'the text is too long',
};

/** A production refusal as problem details with its `code`. */
export function sendProductionProblem(request: FastifyRequest, reply: FastifyReply, error: ProductionError): FastifyReply {
  closeIfBodyUnread(request, reply);
  const details: Static<typeof WorkflowProblem> = { ...problem(error.status, request.url.split('?')[0]!, WORDS[error.code]), code: error.code };
  return sendProblem(reply, details);
}
