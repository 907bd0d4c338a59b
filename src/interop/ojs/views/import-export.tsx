import type { SafeHtml } from '#jsx/jsx-runtime';
import { ManagePage, type ManageAccess } from '../../../platform/web/index.ts';
import { formatNumber, localizeText } from '../../../i18n/index.ts';
import { Notice, UPLOAD_PROGRESS_SCRIPT_HREF, type PageContext } from '../../../ui/index.ts';
import type { ImportSummary } from '../import.ts';
import type { NativeIssueIdentification } from '../model.ts';
import type { Change } from '../store-report.ts';
import { DEFAULT_OJS_VERSION, LOSSES, OJS_VERSIONS, type Losses, type OjsVersion } from '../versions.ts';

export interface ImportOutcome {
  dryRun: boolean;
  counts?: { issues: number; articles: number; galleys: number; warnings: number };
  /** What the import did (or would do), unit by unit. */
  summary?: ImportSummary;
  /** A refusal: its message (with line and column when the document is at fault). */
  error?: string;
  /** The parser's and importer's own messages are English (they are the CLI's too): said so for screen readers. */
  errorLanguage?: 'en';
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
  identification: NativeIssueIdentification;
}

/** "Tom 73 Nr 1 (2020)" in Polish, "Vol. 73 No. 1 (2020)" in English; the title when there is no numbering. */
export function ojsIssueName(ctx: PageContext, identification: NativeIssueIdentification, id: number): string {
  const { volume, number, year, title } = identification;
  const numbering = [volume !== undefined ? ctx.t('issue.volume', { volume }) : '', number ? ctx.t('issue.number', { number }) : '', year !== undefined ? ctx.t('issue.year', { year }) : ''].filter(Boolean).join(' ');
  return numbering || localizeText(title, ctx.locale) || ctx.t('ojs.issueWithoutNumbering', { id });
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
                  {ojsIssueName(ctx, i.identification, i.id)}
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
        <p lang={outcome.errorLanguage}>{outcome.error}</p>
        <p>{outcome.committed ? ctx.t('ojs.partly', { count: outcome.committed }) : ctx.t('ojs.nothingWritten')}</p>
      </section>
    );
  }
  const counts = outcome.counts!;
  return (
    <section aria-labelledby="ojs-report">
      <h2 id="ojs-report">{outcome.dryRun ? ctx.t('ojs.reportDryRun') : ctx.t('ojs.reportImported')}</h2>
      <Notice>{ctx.t('ojs.counts', counts)}</Notice>
      {outcome.summary ? <SummaryReport ctx={ctx} summary={outcome.summary} /> : null}
    </section>
  );
}

const CHANGES = ['new', 'changed', 'unchanged'] as const;
const CHANGE_BADGE: Record<Change, string> = { new: 'badge--success', changed: 'badge--warning', unchanged: 'badge--neutral' };

/** The CLI's report in the page's language: counts by change, each issue and article, the warnings. */
function SummaryReport({ ctx, summary }: { ctx: PageContext; summary: ImportSummary }): SafeHtml {
  const rows = [...(summary.root === 'issues' || summary.root === 'issue' ? [{ label: ctx.t('ojs.report.issues'), counts: summary.issues }] : []), { label: ctx.t('ojs.report.articles'), counts: summary.articles }];
  const n = (value: number) => formatNumber(ctx.locale, value);
  const ids = (unit: { id: number; ojsId?: number }) => (unit.ojsId === undefined ? ctx.t('ojs.report.ids', { id: unit.id }) : ctx.t('ojs.report.idsWithOjs', { id: unit.id, ojsId: unit.ojsId }));
  const badge = (change: Change) => <span class={`badge ${CHANGE_BADGE[change]}`}>{ctx.t(`ojs.unitChange.${change}`)}</span>;
  return (
    <>
      <table class="data-table">
        <caption>{ctx.t('ojs.report.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{ctx.t('ojs.report.kind')}</th>
            {CHANGES.map((change) => (
              <th scope="col">{ctx.t(`ojs.change.${change}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              <th scope="row">{row.label}</th>
              {CHANGES.map((change) => (
                <td>{n(row.counts[change])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {summary.units.length > 0 ? (
        <>
          <h3>{ctx.t('ojs.report.units')}</h3>
          <ul class="import-units">
            {summary.units.map((unit) => (
              <li>
                {badge(unit.change)}{' '}
                {unit.kind === 'issue' ? ctx.t('ojs.report.issueUnit', { issue: unit.identification ? ojsIssueName(ctx, unit.identification, unit.id) : unit.label }) : ctx.t('ojs.report.articleUnit', { title: unit.label })} ({ids(unit)})
                {unit.kind === 'issue' && unit.articles.length > 0 ? (
                  <ul>
                    {unit.articles.map((article) => (
                      <li>
                        {badge(article.change)} {ctx.t('ojs.report.articleUnit', { title: article.title })} ({ids(article)})
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {summary.warnings.length > 0 ? (
        <>
          <h3>{ctx.t('ojs.report.warnings', { count: n(summary.warnings.length) })}</h3>
          <p class="hint">{ctx.t('ojs.report.warningsLanguage')}</p>
          <ul lang="en">
            {summary.warnings.map((warning) => (
              <li>{warning}</li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  ) as SafeHtml;
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
