import type { SafeHtml } from '#jsx/jsx-runtime';
import type { LocalizedValue } from '../../i18n/index.ts';
import { Breadcrumbs, Layout, langIf, RichText, type PageContext } from '../../ui/index.ts';

export interface AboutSubmissions {
  /** What the journal wrote on its own "Submissions" page, if anything. */
  intro: LocalizedValue | undefined;
  guidelines: LocalizedValue | undefined;
  checklist: LocalizedValue[];
  copyrightNotice: LocalizedValue | undefined;
  privacyStatement: LocalizedValue | undefined;
  /** The sections authors may submit to, by title. */
  openSections: LocalizedValue[];
}

/**
 * `/{journal}/about/submissions` (OJS's address): what an author reads before submitting — the
 * guidelines, the checklist they will confirm, the copyright notice and privacy statement — with
 * the way in to the submission wizard while any section takes submissions.
 */
export function AboutSubmissionsPage({ ctx, about }: { ctx: PageContext; about: AboutSubmissions }): SafeHtml {
  const { t } = ctx;
  const journal = ctx.journal!;
  const title = t('about.submissions');
  const open = about.openSections.length > 0;
  return (
    <Layout ctx={ctx} title={`${title} | ${journal.name}`}>
      <Breadcrumbs
        ctx={ctx}
        crumbs={[{ label: journal.name, href: `/${journal.path}`, lang: langIf(ctx, journal.nameLocale) }, { label: t('about.title'), href: `/${journal.path}/about` }, { label: title }]}
      />
      <h1>{title}</h1>
      {open ? (
        <p>
          <a class="button" href={`/${journal.path}/submission`}>
            {t('about.submissions.make')}
          </a>
        </p>
      ) : (
        <p>{t('about.submissions.closed')}</p>
      )}
      {about.intro ? <RichText text={about.intro.text} lang={langIf(ctx, about.intro.locale)} /> : null}
      {about.guidelines ? (
        <section aria-labelledby="author-guidelines">
          <h2 id="author-guidelines">{t('about.submissions.guidelines')}</h2>
          <RichText text={about.guidelines.text} lang={langIf(ctx, about.guidelines.locale)} />
        </section>
      ) : null}
      {about.checklist.length > 0 ? (
        <section aria-labelledby="submission-checklist">
          <h2 id="submission-checklist">{t('about.submissions.checklist')}</h2>
          <p>{t('about.submissions.checklistIntro')}</p>
          <ol>
            {about.checklist.map((item) => (
              <li lang={langIf(ctx, item.locale)}>{item.text}</li>
            ))}
          </ol>
        </section>
      ) : null}
      {open ? (
        <section aria-labelledby="open-sections">
          <h2 id="open-sections">{t('about.submissions.sections')}</h2>
          <ul>
            {about.openSections.map((section) => (
              <li lang={langIf(ctx, section.locale)}>{section.text}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {about.copyrightNotice ? (
        <section aria-labelledby="copyright-notice">
          <h2 id="copyright-notice">{t('about.submissions.copyright')}</h2>
          <RichText text={about.copyrightNotice.text} lang={langIf(ctx, about.copyrightNotice.locale)} />
        </section>
      ) : null}
      {about.privacyStatement ? (
        <section aria-labelledby="privacy-statement">
          <h2 id="privacy-statement">{t('about.submissions.privacy')}</h2>
          <RichText text={about.privacyStatement.text} lang={langIf(ctx, about.privacyStatement.locale)} />
        </section>
      ) : null}
    </Layout>
  );
}
