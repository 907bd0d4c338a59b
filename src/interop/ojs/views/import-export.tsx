import type { SafeHtml } from '#jsx/jsx-runtime';
import { ManagePage, type ManageAccess } from '../../../admin/index.ts';
import { Notice, UPLOAD_PROGRESS_SCRIPT_HREF, type PageContext } from '../../../ui/index.ts';
import { DEFAULT_OJS_VERSION, LOSSES, OJS_VERSIONS, type Losses, type OjsVersion } from '../versions.ts';

export interface ImportOutcome {
  dryRun: boolean;
  counts?: { issues: number; articles: number; galleys: number; warnings: number };
  /** The report the CLI prints. */
  lines: string[];
  /** A refusal: its message (with line and column when the document is at fault). */
  error?: string;
  /** Issues committed before a failure. */
  committed?: number;
}

/** What an export for one OJS release would hold and leave out, shown before downloading it. */
export interface ExportCheck {
  version: OjsVersion;
  issueId?: number;
  counts: { issues: number; articles: number; galleys: number; files: number };
  losses: Losses;
  /** Why the release cannot take this export at all. */
  error?: string;
}

export interface IssueChoice {
  id: number;
  label: string;
}

/** Import of an OJS Native XML upload (dry run or for real) and export downloads, for journal managers. */
export function ImportExportPage({ ctx, access, maxSize, issues, outcome, check }: { ctx: PageContext; access: ManageAccess; maxSize: string; issues: IssueChoice[]; outcome?: ImportOutcome; check?: ExportCheck }): SafeHtml {
  const journal = ctx.journal!.path;
  const base = `/${journal}/management/ojs`;
  const csrf = ctx.csrf ?? '';
  return (
    <ManagePage ctx={ctx} access={access} title={ctx.t('ojs.title')}>
      {outcome ? <Report ctx={ctx} outcome={outcome} /> : null}
      {check ? <CheckReport ctx={ctx} check={check} base={base} /> : null}
      <h2>{ctx.t('ojs.importHeading')}</h2>
      <p>{ctx.t('ojs.importExplain')}</p>
      <form
        action={`${base}/import`}
        method="post"
        enctype="multipart/form-data"
        class="form"
        novalidate
        data-upload-progress
        data-upload-label={ctx.t('ojs.uploading')}
        data-upload-working={ctx.t('ojs.uploadChecking')}
        data-upload-failed={ctx.t('ojs.uploadFailed')}
      >
        <input type="hidden" name="_csrf" value={csrf} />
        <div class="field">
          <label for="field-document">{ctx.t('ojs.file')}</label>
          <p class="hint" id="field-document-hint">
            {ctx.t('ojs.fileHint', { size: maxSize })}
          </p>
          <input id="field-document" type="file" name="document" accept=".xml,application/xml,text/xml" aria-describedby="field-document-hint" required />
        </div>
        <div class="form-actions">
          <button type="submit" class="button button--secondary" formaction={`${base}/dry-run`}>
            {ctx.t('ojs.dryRun')}
          </button>{' '}
          <button type="submit" class="button">
            {ctx.t('ojs.import')}
          </button>
        </div>
        <progress max="100" hidden aria-labelledby="upload-status"></progress>
        <p id="upload-status" data-upload-status role="status" aria-live="polite"></p>
      </form>
      <script src={UPLOAD_PROGRESS_SCRIPT_HREF} defer></script>
      <h2>{ctx.t('ojs.exportHeading')}</h2>
      <p>{ctx.t('ojs.exportExplain')}</p>
      {issues.length === 0 ? (
        <p>{ctx.t('ojs.noIssues')}</p>
      ) : (
        <form action={`${base}/export`} method="get" class="form">
          <div class="field">
            <label for="field-issue">{ctx.t('ojs.exportWhat')}</label>
            <select id="field-issue" name="issue">
              <option value="" selected={check?.issueId === undefined}>
                {ctx.t('ojs.exportAllIssues')}
              </option>
              {issues.map((i) => (
                <option value={String(i.id)} selected={check?.issueId === i.id}>
                  {i.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="field-version">{ctx.t('ojs.exportVersion')}</label>
            <p class="hint" id="field-version-hint">
              {ctx.t('ojs.exportVersionHint')}
            </p>
            <select id="field-version" name="version" aria-describedby="field-version-hint">
              {OJS_VERSIONS.map((v) => (
                <option value={v} selected={v === (check?.version ?? DEFAULT_OJS_VERSION)}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          <div class="form-actions">
            <button type="submit" class="button button--secondary" formaction={`${base}/export/check`}>
              {ctx.t('ojs.exportCheck')}
            </button>{' '}
            <button type="submit" class="button">
              {ctx.t('ojs.exportDownload')}
            </button>
          </div>
        </form>
      )}
      <p class="hint">{ctx.t('ojs.cli', { journal })}</p>
    </ManagePage>
  );
}

function Report({ ctx, outcome }: { ctx: PageContext; outcome: ImportOutcome }): SafeHtml {
  if (outcome.error !== undefined) {
    return (
      <section aria-labelledby="ojs-report" class="notice notice--warning" role="alert">
        <h2 id="ojs-report">{ctx.t('ojs.failed')}</h2>
        <p>{outcome.error}</p>
        <p>{outcome.committed ? ctx.t('ojs.partly', { count: outcome.committed }) : ctx.t('ojs.nothingWritten')}</p>
      </section>
    );
  }
  const counts = outcome.counts!;
  return (
    <section aria-labelledby="ojs-report">
      <h2 id="ojs-report">{outcome.dryRun ? ctx.t('ojs.reportDryRun') : ctx.t('ojs.reportImported')}</h2>
      <Notice>{ctx.t('ojs.counts', counts)}</Notice>
      <pre class="report">{outcome.lines.join('\n')}</pre>
    </section>
  );
}

/** What the chosen release holds of the export, and the download for it. */
function CheckReport({ ctx, check, base }: { ctx: PageContext; check: ExportCheck; base: string }): SafeHtml {
  const lost = LOSSES.filter((key) => (check.losses[key] ?? 0) > 0);
  const query = `version=${encodeURIComponent(check.version)}${check.issueId === undefined ? '' : `&issue=${check.issueId}`}`;
  if (check.error !== undefined) {
    return (
      <section aria-labelledby="ojs-check" class="notice notice--warning" role="alert">
        <h2 id="ojs-check">{ctx.t('ojs.checkHeading', { version: check.version })}</h2>
        <p>{check.error}</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="ojs-check">
      <h2 id="ojs-check">{ctx.t('ojs.checkHeading', { version: check.version })}</h2>
      <p>{ctx.t('ojs.checkCounts', check.counts)}</p>
      {lost.length === 0 ? (
        <Notice>{ctx.t('ojs.checkNothingLost', { version: check.version })}</Notice>
      ) : (
        <ul class="notice notice--warning">
          {lost.map((key) => (
            <li>{ctx.t(`ojs.lost.${key}`, { version: check.version, count: check.losses[key]! })}</li>
          ))}
        </ul>
      )}
      <p>
        <a class="button" href={`${base}/export?${query}`}>
          {ctx.t('ojs.checkDownload', { version: check.version })}
        </a>
      </p>
    </section>
  );
}
