import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import type { WizardStep } from '../../../db/schema.ts';
import { formatFileSize } from '../../../platform/web/index.ts';
import { Notice, RichText, type FormErrors, type PageContext } from '../../../ui/index.ts';
import type { ContributorRow } from './wizard-contributors.tsx';
import { languageLabel, STEP_NAMES, typeName, stepHref, wizardBase, WizardPage, type DraftSummary, type FileRow } from './wizard.tsx';

/** Step 6: everything on one page, each part with a link to its step, what is missing, and the submit button. */

export interface ReviewView {
  section: string;
  locale: string;
  comments: string;
  checklist: boolean | null;
  agreements: boolean | null;
  files: Array<FileRow & { kindName: string }>;
  /** Per language of the journal that has something. */
  details: Array<{ locale: string; title: string; subtitle: string; abstract: string; keywords: string[] }>;
  contributors: ContributorRow[];
  references: { count: number; withProblems: number };
  /** What submissionProblems says is missing, as messages with the step that fixes each. */
  problems: Array<{ step: WizardStep; message: string; anchor: string }>;
}

function Part({ ctx, draft, step, children }: { ctx: PageContext; draft: DraftSummary; step: WizardStep; children?: Child }): SafeHtml {
  const name = ctx.t(STEP_NAMES[step]);
  return (
    <section aria-labelledby={`review-${step}`} class="review-part">
      <h3 id={`review-${step}`}>{name}</h3>
      {children}
      <p>
        <a href={stepHref(ctx, draft.id, step)}>{ctx.t('wizard.review.edit', { step: name })}</a>
      </p>
    </section>
  );
}

export function ReviewPage({ ctx, draft, view, errors = {} }: { ctx: PageContext; draft: DraftSummary; view: ReviewView; errors?: FormErrors }): SafeHtml {
  const yesNo = (value: boolean | null, yes: string, no: string) => (value === null ? null : value ? yes : no);
  return (
    <WizardPage ctx={ctx} draft={draft} current="review" errors={errors}>
      <p>{ctx.t('wizard.review.intro')}</p>
      {view.problems.length > 0 ? (
        <section class="notice notice--warning" aria-labelledby="review-problems" role="alert">
          <h3 id="review-problems">{ctx.t('wizard.review.problems')}</h3>
          <p>{ctx.t('wizard.review.problemsIntro')}</p>
          <ul>
            {view.problems.map((p) => (
              <li>
                {p.message} <a href={`${stepHref(ctx, draft.id, p.step)}${p.anchor}`}>{ctx.t('wizard.review.fix', { step: ctx.t(STEP_NAMES[p.step]) })}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <Notice>{ctx.t('wizard.review.ready')}</Notice>
      )}
      <Part ctx={ctx} draft={draft} step="start">
        <dl>
          <dt>{ctx.t('wizard.review.section')}</dt>
          <dd>{view.section}</dd>
          <dt>{ctx.t('wizard.review.language')}</dt>
          <dd>{languageLabel(ctx, view.locale)}</dd>
          {view.checklist !== null ? (
            <>
              <dt>{ctx.t('wizard.review.checklist')}</dt>
              <dd>{yesNo(view.checklist, ctx.t('wizard.review.confirmed'), ctx.t('wizard.review.notConfirmed'))}</dd>
            </>
          ) : null}
          {view.agreements !== null ? (
            <>
              <dt>{ctx.t('wizard.review.agreements')}</dt>
              <dd>{yesNo(view.agreements, ctx.t('wizard.review.accepted'), ctx.t('wizard.review.notAccepted'))}</dd>
            </>
          ) : null}
          <dt>{ctx.t('wizard.review.comments')}</dt>
          <dd>{view.comments === '' ? ctx.t('wizard.review.none') : view.comments}</dd>
        </dl>
      </Part>
      <Part ctx={ctx} draft={draft} step="files">
        {view.files.length === 0 ? (
          <p>{ctx.t('wizard.files.none')}</p>
        ) : (
          <ul>
            {view.files.map((f) => (
              <li>
                {f.name} ({f.kindName}, {typeName(f.mimeType)}, {formatFileSize(f.sizeBytes, ctx.locale)}, SHA-256 <code>{f.sha256.slice(0, 12)}</code>)
              </li>
            ))}
          </ul>
        )}
      </Part>
      <Part ctx={ctx} draft={draft} step="details">
        {view.details.map((d) => (
          <div lang={d.locale}>
            <h4>{languageLabel(ctx, d.locale)}</h4>
            <dl>
              <dt>{ctx.t('wizard.details.title')}</dt>
              <dd>{d.title}</dd>
              {d.subtitle ? (
                <>
                  <dt>{ctx.t('wizard.details.subtitle')}</dt>
                  <dd>{d.subtitle}</dd>
                </>
              ) : null}
              {d.abstract ? (
                <>
                  <dt>{ctx.t('wizard.details.abstract')}</dt>
                  <dd>
                    <RichText text={d.abstract} />
                  </dd>
                </>
              ) : null}
              {d.keywords.length > 0 ? (
                <>
                  <dt>{ctx.t('wizard.details.keywords')}</dt>
                  <dd>{d.keywords.join(', ')}</dd>
                </>
              ) : null}
            </dl>
          </div>
        ))}
      </Part>
      <Part ctx={ctx} draft={draft} step="contributors">
        <ol>
          {view.contributors.map((c) => (
            <li>
              {c.name}
              {c.email ? ` <${c.email}>` : ''}
              {c.orcid ? `, ${c.orcid}` : ''}
              {c.affiliations.length > 0 ? ` — ${c.affiliations.map((a) => a.name).join('; ')}` : ''}
              {c.isPrimaryContact ? ` (${ctx.t('wizard.contributors.primary')})` : ''}
            </li>
          ))}
        </ol>
      </Part>
      <Part ctx={ctx} draft={draft} step="references">
        <p>{view.references.count === 0 ? ctx.t('wizard.references.none') : ctx.t('wizard.review.referencesCount', { count: view.references.count, problems: view.references.withProblems })}</p>
      </Part>
      <form action={`${wizardBase(ctx, draft.id)}/submit`} method="post" class="form">
        <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
        <p class="hint" id="submit-hint">
          {ctx.t('wizard.review.submitHint')}
        </p>
        <div class="form-actions">
          <button type="submit" class="button" aria-describedby="submit-hint">
            {ctx.t('wizard.review.submit')}
          </button>
        </div>
      </form>
    </WizardPage>
  );
}
