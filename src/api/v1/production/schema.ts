import { Id, JournalPath, Type } from '../../../platform/http/index.ts';
import { named } from '../common.ts';

/**
 * Galleys and proofs through the API (issue 21, item 2), in OJS's REST shape:
 * `/submissions/{submissionId}/publications/{publicationId}/galleys` with `label`, `locale`, `seq`,
 * `urlRemote`; Revista adds an HTML galley's `assets` and the names its HTML still misses.
 */

const DateTime = Type.String({ format: 'date-time' });
const Label = Type.String({ minLength: 1, maxLength: 100, description: 'As readers see it: `PDF`, `HTML`…' });
const Locale = Type.String({ minLength: 2, maxLength: 20, description: 'One of the journal’s languages.' });
const UrlRemote = Type.String({ minLength: 1, maxLength: 2000, description: 'An `http://` or `https://` address where the galley is (a remote galley).' });

export const GalleysParams = Type.Object({ journal: JournalPath, submissionId: Id, publicationId: Id });
export const GalleyParams = Type.Object({ journal: JournalPath, submissionId: Id, publicationId: Id, galleyId: Id });
export const AssetParams = Type.Object({ journal: JournalPath, submissionId: Id, publicationId: Id, galleyId: Id, assetId: Id });
export const ProofsParams = Type.Object({ journal: JournalPath, submissionId: Id });
export const ProofParams = Type.Object({ journal: JournalPath, submissionId: Id, proofId: Id });

export const GalleyAsset = named(
  'PublicationGalleyAsset',
  Type.Object({
    id: Id,
    name: Type.String({ description: 'The name the HTML refers to it by (`figure1.png`, `images/figure1.png`).' }),
    mimetype: Type.String(),
    fileSize: Type.Integer({ minimum: 0 }),
    createdAt: DateTime,
  }),
);

export const Galley = named(
  'PublicationGalley',
  Type.Object({
    id: Id,
    publicationId: Id,
    label: Type.String(),
    locale: Type.String(),
    seq: Type.Integer({ minimum: 1, description: 'Its place in the list, from 1.' }),
    format: Type.Union([Type.Literal('pdf'), Type.Literal('html'), Type.Literal('jats'), Type.Literal('epub'), Type.Literal('remote'), Type.Literal('other')]),
    urlRemote: Type.Union([Type.String(), Type.Null()]),
    file: Type.Union([Type.Object({ name: Type.String(), mimetype: Type.String(), fileSize: Type.Integer({ minimum: 0 }) }), Type.Null()]),
    assets: Type.Array(GalleyAsset, { description: 'An HTML galley’s images, style sheets and fonts.' }),
    missingAssets: Type.Array(Type.String(), { description: 'Names the HTML (or its style sheets) refers to that no asset has yet.' }),
    urlPreview: Type.String({ description: 'The galley as readers will see it, for the journal’s team and the authors.' }),
    _href: Type.String(),
  }),
);

export const NewGalley = Type.Object(
  {
    label: Label,
    locale: Locale,
    urlRemote: Type.Optional(UrlRemote),
    submissionFileId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'A production-ready file of the submission (stage `production`) to make the galley of.' })),
  },
  { additionalProperties: false, description: 'Either `urlRemote` or `submissionFileId`; a file is uploaded with `POST …/galleys/upload`.' },
);

export const GalleyUpload = Type.Object(
  { label: Label, locale: Locale, file: Type.String({ format: 'binary', description: 'PDF, HTML, JATS XML or EPUB; its type is read from its bytes.' }) },
  { description: 'Fields first, then the file.' },
);

export const GalleyFileUpload = Type.Object({ file: Type.String({ format: 'binary' }) }, { description: 'The galley’s new file.' });

export const GalleyEdit = Type.Object(
  {
    label: Type.Optional(Label),
    locale: Type.Optional(Locale),
    urlRemote: Type.Optional(UrlRemote),
    seq: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Moves the galley to this place in the list.' })),
  },
  { additionalProperties: false },
);

export const AssetUpload = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 255, description: 'The name the HTML refers to it by; absent: the file’s own name.' })),
    file: Type.String({ format: 'binary', description: 'An image (PNG, JPEG, GIF, WebP, SVG), a style sheet (CSS) or a font (WOFF, WOFF2).' }),
  },
  { description: '`name` first, then the file.' },
);

export const ProofStatus = Type.Union([Type.Literal('sent'), Type.Literal('approved'), Type.Literal('corrections'), Type.Literal('cancelled')], {
  description: '`sent`: waiting for the author; `approved`; `corrections`: the author asked for corrections (`response`); `cancelled`.',
});

export const Proof = named(
  'ProofRequest',
  Type.Object({
    id: Id,
    submissionId: Id,
    publicationId: Id,
    authorUserId: Id,
    requestedByUserId: Type.Union([Id, Type.Null()]),
    message: Type.String(),
    status: ProofStatus,
    response: Type.String(),
    dateAnswered: Type.Union([DateTime, Type.Null()]),
    createdAt: DateTime,
    urlProofPage: Type.String({ description: 'The author’s proof page.' }),
    _href: Type.String(),
  }),
);

export const NewProofs = Type.Object(
  {
    authorUserIds: Type.Array(Type.Integer({ minimum: 1, maximum: 2147483647 }), { minItems: 1, maxItems: 50, description: 'Users who are authors of the submission.' }),
    message: Type.Optional(Type.String({ maxLength: 20000 })),
  },
  { additionalProperties: false },
);

export const ProofAnswer = Type.Object(
  {
    answer: Type.Union([Type.Literal('approve'), Type.Literal('corrections')]),
    response: Type.Optional(Type.String({ maxLength: 20000, description: 'What to correct (required with `corrections`).' })),
  },
  { additionalProperties: false },
);
