// Production (issue 21, item 2): galleys, their assets, and proofs.
export { ProductionError, type ProductionErrorCode } from './errors.ts';
export { createGalley, editGalley, deleteGalley, reorderGalley, addGalleyAsset, deleteGalleyAsset, checkProducible, checkGalleyUpload, checkRemoteUrl, assetType, isHtmlGalleyType, GALLEY_TYPES, ASSET_TYPES, MAX_ASSET_BYTES, MAX_GALLEY_BYTES, MAX_LABEL_LENGTH, type GalleySource, type NewGalley, type GalleyChange, type NewGalleyAsset } from './galleys.ts';
export { productionGalleys, galleyReferences, retypedAsset, type ProductionGalley } from './queries.ts';
export { htmlReferences, assetName, isAssetName } from './html-references.ts';
export { sendProofs, answerProof, cancelProof, submissionProofs, findProof, proofResource, MAX_PROOF_TEXT, type ProofRequest, type ProofsToSend, type ProofAnswer } from './proofs.ts';
export { subscribeProductionMail, proofUrl, PROOFS_MAIL } from './mail.ts';
export type { ProofResource } from '../policy.ts';
