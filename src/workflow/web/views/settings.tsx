import type { SafeHtml } from '#jsx/jsx-runtime';
import type { LocalizedText, Section } from '../../../db/index.ts';
import { localizeText, type MessageKey, type UiLocale } from '../../../i18n/index.ts';
import { ManagePage, type ManageAccess } from '../../../platform/web/index.ts';
import { CheckboxField, ErrorSummary, FieldGroup, fieldId, Form, LocalizedFields, SubmitButton, TextField, type FormErrors, type PageContext } from '../../../ui/index.ts';
import { KNOWN_FILE_TYPES, MAX_KIND_MB, SETTINGS_LIMITS, type SettingsErrorCode, type SettingsFieldError } from '../../settings/commands.ts';
import type { SectionSubmissionRules } from '../../settings/read.ts';

/** The journal-wide form as shown: stored values, or what was sent when it was refused. */
export interface SettingsForm {
  authorGuidelines: LocalizedText;
  checklist: LocalizedText[];
  copyrightNotice: LocalizedText;
  privacyStatement: LocalizedText;
  daysToFirstAction: string;
  fileKinds: Array<{ key: string; name: LocalizedText; types: string[]; maxMb: string; required: boolean }>;
  errors: FormErrors;
}

export interface SectionRulesForm {
  isOpen: boolean;
  abstractRequired: boolean;
  abstractWordLimit: string;
  keywordsRequired: boolean;
  referencesRequired: boolean;
  locales: string[];
  errors: FormErrors;
}

const ERROR_KEYS: Record<SettingsErrorCode, MessageKey> = {
  required: 'workflow-settings.error.required',
  'too-long': 'workflow-settings.error.too-long',
  'too-many': 'workflow-settings.error.too-many',
  range: 'workflow-settings.error.range',
  'size-over-cap': 'workflow-settings.error.size-over-cap',
  'key-format': 'workflow-settings.error.key-format',
  'key-duplicate': 'workflow-settings.error.key-duplicate',
  'type-unknown': 'workflow-settings.error.type-unknown',
  'kinds-none': 'workflow-settings.error.kinds-none',
  'locale-unknown': 'workflow-settings.error.locale-unknown',
};

/** A refused save's reasons as messages by field (the first reason of each field). */
export function fieldMessages(ctx: PageContext, errors: readonly SettingsFieldError[]): FormErrors {
  const out: FormErrors = {};
  for (const error of errors) out[error.field] ??= ctx.t(ERROR_KEYS[error.code], error.params);
  return out;
}

function languageLabel(ctx: PageContext, locale: string): string {
  try {
    return new Intl.DisplayNames([ctx.locale], { type: 'language' }).of(locale) ?? locale;
  } catch {
    return locale;
  }
}

/** A group of checkboxes of one name, with its legend, hint and error tied to it. */
function Choices({ name, legend, hint, error, options, checked }: { name: string; legend: string; hint?: string; error?: string; options: ReadonlyArray<{ value: string; label: string }>; checked: readonly string[] }): SafeHtml {
  return (
    <FieldGroup name={name} legend={legend} hint={hint} error={error}>
      {options.map((o, i) => (
        <CheckboxField name={name} value={o.value} id={`${name}.${i}`} label={o.label} checked={checked.includes(o.value)} />
      ))}
    </FieldGroup>
  );
}

/** An error that belongs to a whole list (too many items, no kind of file left). */
function ListError({ name, error }: { name: string; error?: string }): SafeHtml {
  return error ? (
    <p class="field-error" id={fieldId(name)} tabindex="-1">
      {error}
    </p>
  ) : (
    <></>
  );
}

function ChecklistRows({ ctx, form, locales }: { ctx: PageContext; form: SettingsForm; locales: readonly UiLocale[] }): SafeHtml {
  const { t } = ctx;
  const items = form.checklist.length < SETTINGS_LIMITS.checklistItems ? [...form.checklist, {}] : form.checklist;
  return (
    <>
      {items.map((item, i) => {
        const isNew = i >= form.checklist.length;
        return (
          <fieldset class="field-group">
            <legend>{isNew ? t('workflow-settings.checklist.new') : t('workflow-settings.checklist.item', { n: i + 1 })}</legend>
            <div>
              <LocalizedFields
                ctx={ctx}
                name={`checklist.${i}`}
                label={t('workflow-settings.checklist.text')}
                values={item}
                locales={locales}
                error={form.errors[`checklist.${i}`]}
                hint={isNew ? t('workflow-settings.checklist.newHint') : undefined}
              />
              <TextField ctx={ctx} name={`checklist.${i}.position`} label={t('workflow-settings.checklist.position')} value={String(i + 1)} type="number" inputmode="numeric" maxlength={4} />
              {isNew ? null : <CheckboxField name={`checklist.${i}.remove`} label={t('workflow-settings.checklist.remove', { n: i + 1 })} />}
            </div>
          </fieldset>
        );
      })}
    </>
  );
}

function KindRows({ ctx, form, locales, savedKeys }: { ctx: PageContext; form: SettingsForm; locales: readonly UiLocale[]; savedKeys: readonly string[] }): SafeHtml {
  const { t } = ctx;
  const blank = { key: '', name: {}, types: [], maxMb: '', required: false };
  const kinds = form.fileKinds.length < SETTINGS_LIMITS.kinds ? [...form.fileKinds, blank] : form.fileKinds;
  const typeOptions = KNOWN_FILE_TYPES.map((k) => ({ value: k.type, label: k.label }));
  return (
    <>
      {kinds.map((kind, i) => {
        const isNew = i >= form.fileKinds.length;
        // A stored kind keeps its key: the files already sent under it are found by it.
        const keyFixed = !isNew && savedKeys.includes(kind.key) && !form.errors[`kinds.${i}.key`];
        const heading = isNew ? t('workflow-settings.kinds.new') : t('workflow-settings.kinds.kind', { name: localizeText(kind.name, ctx.locale) || kind.key });
        return (
          <fieldset class="field-group settings-kind">
            <legend>{heading}</legend>
            <div>
            {keyFixed ? (
              <p>
                {t('workflow-settings.kinds.key')}: <code>{kind.key}</code>
                <input type="hidden" name={`kinds.${i}.key`} value={kind.key} />
              </p>
            ) : (
              <TextField ctx={ctx} name={`kinds.${i}.key`} label={t('workflow-settings.kinds.key')} hint={t('workflow-settings.kinds.keyHint')} value={kind.key} maxlength={50} error={form.errors[`kinds.${i}.key`]} required={!isNew} />
            )}
            <LocalizedFields ctx={ctx} name={`kinds.${i}.name`} label={t('workflow-settings.kinds.name')} values={kind.name} locales={locales} error={form.errors[`kinds.${i}.name`]} required={!isNew} />
            <Choices name={`kinds.${i}.types`} legend={t('workflow-settings.kinds.types')} hint={t('workflow-settings.kinds.typesHint')} error={form.errors[`kinds.${i}.types`]} options={typeOptions} checked={kind.types} />
            <TextField ctx={ctx} name={`kinds.${i}.maxMb`} label={t('workflow-settings.kinds.maxMb')} hint={t('workflow-settings.kinds.maxMbHint', { max: MAX_KIND_MB })} value={kind.maxMb} type="number" inputmode="numeric" maxlength={9} error={form.errors[`kinds.${i}.maxMb`]} required={!isNew} />
            <CheckboxField name={`kinds.${i}.required`} label={t('workflow-settings.kinds.required')} checked={kind.required} />
            {isNew ? null : <CheckboxField name={`kinds.${i}.remove`} label={t('workflow-settings.kinds.remove', { name: localizeText(kind.name, ctx.locale) || kind.key })} />}
            </div>
          </fieldset>
        );
      })}
    </>
  );
}

export interface SectionRow {
  id: number;
  title: LocalizedText;
  rules: SectionSubmissionRules;
}

function SectionsTable({ ctx, sections, journalPath }: { ctx: PageContext; sections: SectionRow[]; journalPath: string }): SafeHtml {
  const { t } = ctx;
  const yes = t('workflow-settings.yes');
  const no = t('workflow-settings.no');
  if (sections.length === 0) return <p>{t('workflow-settings.sections.none')}</p>;
  return (
    <table class="data-table">
      <caption class="visually-hidden">{t('workflow-settings.sections.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('workflow-settings.sections.section')}</th>
          <th scope="col">{t('workflow-settings.rules.isOpen')}</th>
          <th scope="col">{t('workflow-settings.rules.abstractRequired')}</th>
          <th scope="col">{t('workflow-settings.rules.abstractWordLimit')}</th>
          <th scope="col">{t('workflow-settings.rules.keywordsRequired')}</th>
          <th scope="col">{t('workflow-settings.rules.referencesRequired')}</th>
          <th scope="col">{t('workflow-settings.rules.locales')}</th>
          <th scope="col">{t('admin.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {sections.map((s) => {
          const title = localizeText(s.title, ctx.locale) || `#${s.id}`;
          return (
            <tr>
              <th scope="row">{title}</th>
              <td>{s.rules.isOpen ? yes : no}</td>
              <td>{s.rules.abstractRequired ? yes : no}</td>
              <td>{s.rules.abstractWordLimit === null ? t('workflow-settings.rules.noLimit') : String(s.rules.abstractWordLimit)}</td>
              <td>{s.rules.keywordsRequired ? yes : no}</td>
              <td>{s.rules.referencesRequired ? yes : no}</td>
              <td>{s.rules.locales.length === 0 ? t('workflow-settings.rules.anyLanguage') : s.rules.locales.map((l) => languageLabel(ctx, l)).join(', ')}</td>
              <td>
                <a href={`/${journalPath}/management/settings/submissions/sections/${s.id}`}>
                  {t('workflow-settings.sections.edit')}
                  <span class="visually-hidden">: {title}</span>
                </a>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** `/{journal}/management/settings/submissions`: what the journal asks of every manuscript, and its sections' rules. */
export function SubmissionSettingsPage({
  ctx,
  access,
  locales,
  form,
  savedKeys,
  sections,
  notice,
}: {
  ctx: PageContext;
  access: ManageAccess;
  locales: readonly UiLocale[];
  form: SettingsForm;
  savedKeys: readonly string[];
  sections: SectionRow[];
  notice?: string;
}): SafeHtml {
  const { t } = ctx;
  const path = ctx.journal!.path;
  return (
    <ManagePage ctx={ctx} access={access} title={t('workflow-settings.title')} notice={notice}>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <nav aria-labelledby="settings-contents">
        <h2 id="settings-contents" class="visually-hidden">
          {t('workflow-settings.contents')}
        </h2>
        <ul class="link-list">
          <li>
            <a href="#guidelines">{t('workflow-settings.guidelines.title')}</a>
          </li>
          <li>
            <a href="#checklist">{t('workflow-settings.checklist.title')}</a>
          </li>
          <li>
            <a href="#notices">{t('workflow-settings.notices.title')}</a>
          </li>
          <li>
            <a href="#kinds">{t('workflow-settings.kinds.title')}</a>
          </li>
          <li>
            <a href="#sections">{t('workflow-settings.sections.title')}</a>
          </li>
          <li>
            <a href={`/${path}/about/submissions`}>{t('workflow-settings.publicPage')}</a>
          </li>
        </ul>
      </nav>
      <Form action={`/${path}/management/settings/submissions`} csrf={ctx.csrf ?? ''}>
        <h2 id="guidelines">{t('workflow-settings.guidelines.title')}</h2>
        <LocalizedFields
          ctx={ctx}
          name="authorGuidelines"
          label={t('workflow-settings.guidelines.label')}
          values={form.authorGuidelines}
          locales={locales}
          multiline
          rows={8}
          richText
          hint={t('manage.richTextHint')}
          error={form.errors.authorGuidelines}
        />
        <h2 id="checklist">{t('workflow-settings.checklist.title')}</h2>
        <p class="hint">{t('workflow-settings.checklist.intro')}</p>
        <ListError name="checklist" error={form.errors.checklist} />
        <ChecklistRows ctx={ctx} form={form} locales={locales} />
        <h2 id="notices">{t('workflow-settings.notices.title')}</h2>
        <LocalizedFields ctx={ctx} name="copyrightNotice" label={t('workflow-settings.copyrightNotice')} values={form.copyrightNotice} locales={locales} multiline rows={4} richText hint={t('manage.richTextHint')} error={form.errors.copyrightNotice} />
        <LocalizedFields ctx={ctx} name="privacyStatement" label={t('workflow-settings.privacyStatement')} values={form.privacyStatement} locales={locales} multiline rows={4} richText hint={t('manage.richTextHint')} error={form.errors.privacyStatement} />
        <TextField ctx={ctx} name="daysToFirstAction" label={t('workflow-settings.daysToFirstAction')} hint={t('workflow-settings.daysToFirstActionHint')} value={form.daysToFirstAction} type="number" inputmode="numeric" maxlength={3} required error={form.errors.daysToFirstAction} />
        <h2 id="kinds">{t('workflow-settings.kinds.title')}</h2>
        <p class="hint">{t('workflow-settings.kinds.intro')}</p>
        <ListError name="kinds" error={form.errors.kinds} />
        <KindRows ctx={ctx} form={form} locales={locales} savedKeys={savedKeys} />
        <SubmitButton label={t('form.save')} />
      </Form>
      <h2 id="sections">{t('workflow-settings.sections.title')}</h2>
      <SectionsTable ctx={ctx} sections={sections} journalPath={path} />
    </ManagePage>
  );
}

/** `/{journal}/management/settings/submissions/sections/{id}`: one section's rules for manuscripts. */
export function SectionRulesPage({ ctx, access, journalLocales, section, form }: { ctx: PageContext; access: ManageAccess; journalLocales: readonly string[]; section: Section; form: SectionRulesForm }): SafeHtml {
  const { t } = ctx;
  const path = ctx.journal!.path;
  const title = localizeText(section.title, ctx.locale) || `#${section.id}`;
  return (
    <ManagePage ctx={ctx} access={access} title={t('workflow-settings.rules.title', { section: title })}>
      <p>
        <a href={`/${path}/management/settings/submissions#sections`}>{t('workflow-settings.rules.back')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <Form action={`/${path}/management/settings/submissions/sections/${section.id}`} csrf={ctx.csrf ?? ''}>
        <CheckboxField name="isOpen" label={t('workflow-settings.rules.isOpen')} hint={t('workflow-settings.rules.isOpenHint')} checked={form.isOpen} />
        <CheckboxField name="abstractRequired" label={t('workflow-settings.rules.abstractRequired')} checked={form.abstractRequired} />
        <TextField ctx={ctx} name="abstractWordLimit" label={t('workflow-settings.rules.abstractWordLimit')} hint={t('workflow-settings.rules.abstractWordLimitHint')} value={form.abstractWordLimit} type="number" inputmode="numeric" maxlength={5} error={form.errors.abstractWordLimit} />
        <CheckboxField name="keywordsRequired" label={t('workflow-settings.rules.keywordsRequired')} checked={form.keywordsRequired} />
        <CheckboxField name="referencesRequired" label={t('workflow-settings.rules.referencesRequired')} checked={form.referencesRequired} />
        <Choices
          name="locales"
          legend={t('workflow-settings.rules.locales')}
          hint={t('workflow-settings.rules.localesHint')}
          error={form.errors.locales}
          options={journalLocales.map((l) => ({ value: l, label: languageLabel(ctx, l) }))}
          checked={form.locales}
        />
        <SubmitButton label={t('form.save')} />
      </Form>
    </ManagePage>
  );
}
