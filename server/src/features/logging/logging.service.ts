import { randomUUID } from 'node:crypto';
import { Conflict, Invalid, NotFound } from '../../lib/errors.js';
import { normaliseText } from '../../lib/log-values.js';
import {
  type AssetLog,
  AUTOMATIC_FIELDS,
  type CustomFieldKind,
  type CustomLogField,
  emptyLogValues,
  LOG_CODES,
  type LogValues,
} from '../../ports/asset-log.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { AccessPolicy } from '../access/access.policy.js';
import { requireAdmin } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import type { AuditService } from '../audit/audit.service.js';
import { type LogInput, toLogPatch } from './log-input.js';
import { namedLog } from './named-log.js';

/**
 * Logging fields of assets (issue 16). Jobs: the edit of one asset or a selection
 * (`update`), custom field definitions (admins), and the views the asset answers carry.
 * What the media says is filled by the probe (`automatic-log.ts`); the script
 * supervisor's CSV is `log-import.ts`. Who may write a log: whoever may see the asset,
 * the same right as renaming it (DESIGN.md "Permissions").
 */

/** An asset's `log` in the API (custom values by field key); the bin exports read these names. */
export interface LogView extends LogValues {
  /** Fields whose value the media gave (file name or metadata), not a person. */
  automatic: string[];
}

/** The log of an asset nobody logged; a new one each time. */
export const emptyLog = (): LogView => ({ ...emptyLogValues(), automatic: [] });

export const MAX_CUSTOM_FIELDS = 50;
const FIELD_KEY = /^[a-z][a-z0-9_]{0,31}$/;
/** Names a search reads as something else (`scene:12`, `circled:yes`). */
const RESERVED_KEYS = new Set<string>([
  ...LOG_CODES,
  'circled',
  'rating',
  'description',
  'custom',
  'automatic',
]);

export interface FieldInput {
  key: string;
  label: string;
  kind: CustomFieldKind;
  choices?: string[];
}

interface Deps {
  catalog: Catalog;
  access: AccessPolicy;
  audit: AuditService;
  events: EventBus;
  clock: Clock;
}

export class LoggingService {
  constructor(private readonly deps: Deps) {}

  /** The logs of assets already checked by the caller, as the API shows them (an empty log for none). */
  async views(assetIds: string[]): Promise<Map<string, LogView>> {
    const { catalog } = this.deps;
    if (assetIds.length === 0) return new Map();
    const [logs, fields] = await Promise.all([catalog.logs.get(assetIds), catalog.logs.fields()]);
    const keyOf = new Map(fields.map((f) => [f.id, f.key]));
    const views = new Map<string, LogView>();
    for (const id of assetIds) {
      const log = logs.get(id);
      views.set(id, log ? toLogView(log, keyOf) : emptyLog());
    }
    return views;
  }

  async get(actor: Actor, id: string): Promise<LogView> {
    await loadVisibleAssets(this.deps.catalog, this.deps.access, actor, [id]);
    return (await this.views([id])).get(id)!;
  }

  /** One asset's edit; the log as it now is. */
  async updateOne(actor: Actor, id: string, input: LogInput): Promise<LogView> {
    await this.update(actor, [id], input);
    return (await this.views([id])).get(id)!;
  }

  /**
   * The same edit on every named asset, or on none: a missing or hidden asset among them is a
   * 404 like any other, before anything is written.
   */
  async update(actor: Actor, ids: string[], input: LogInput): Promise<{ updated: number }> {
    const { catalog, access, audit, events, clock } = this.deps;
    if (ids.length === 0) throw new Invalid('Choose at least one asset.');
    const patch = toLogPatch(input, await catalog.logs.fields());
    const { assets, folderPaths } = await loadVisibleAssets(catalog, access, actor, ids);
    await catalog.logs.write(
      assets.map((a) => a.id),
      patch,
      actor.username,
      clock.now(),
    );
    await audit.record(
      actor,
      'asset.log',
      assets.length === 1 ? { type: 'asset', id: assets[0].id } : { type: 'assets' },
      { ...(assets.length === 1 ? {} : { assetIds: assets.map((a) => a.id) }), fields: input },
    );
    for (const a of assets)
      events.publish({
        type: 'asset.changed',
        assetId: a.id,
        folderPath: folderPaths.get(a.folderId) ?? '/',
      });
    return { updated: assets.length };
  }

  // ---- custom fields --------------------------------------------------------------------

  /** Every signed-in user reads the definitions: the preview and the search need them. */
  async fields(_actor: Actor): Promise<CustomLogField[]> {
    return this.deps.catalog.logs.fields();
  }

  async createField(actor: Actor, input: FieldInput): Promise<CustomLogField> {
    requireAdmin(actor, 'define logging fields');
    const { catalog, audit, clock } = this.deps;
    const key = input.key.trim();
    if (!FIELD_KEY.test(key))
      throw new Invalid('A field key is 1–32 lower-case letters, digits or _, starting with a letter.', {
        field: 'key',
      });
    if (RESERVED_KEYS.has(key)) throw new Invalid(`"${key}" is a built-in logging field.`, { field: 'key' });
    const existing = await catalog.logs.fields();
    if (existing.some((f) => f.key === key))
      throw new Conflict(`A custom field "${key}" exists already.`, { field: 'key' });
    if (existing.length >= MAX_CUSTOM_FIELDS)
      throw new Invalid(`A deployment has at most ${MAX_CUSTOM_FIELDS} custom fields.`);
    const field: CustomLogField = {
      id: randomUUID(),
      key,
      label: fieldLabel(input.label),
      kind: input.kind,
      choices: fieldChoices(input.kind, input.choices ?? []),
      position: existing.reduce((max, f) => Math.max(max, f.position + 1), 0),
      createdAt: clock.now(),
    };
    await catalog.logs.addField(field);
    await audit.record(
      actor,
      'log_field.create',
      { type: 'log_field', id: field.id },
      { key, kind: field.kind },
    );
    return field;
  }

  async updateField(
    actor: Actor,
    id: string,
    input: { label?: string; choices?: string[]; position?: number },
  ): Promise<CustomLogField> {
    requireAdmin(actor, 'define logging fields');
    const { catalog, audit } = this.deps;
    const field = (await catalog.logs.fields()).find((f) => f.id === id);
    if (!field) throw new NotFound('The custom field was not found.');
    const patch = {
      ...(input.label !== undefined ? { label: fieldLabel(input.label) } : {}),
      ...(input.choices !== undefined ? { choices: fieldChoices(field.kind, input.choices) } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
    };
    await catalog.logs.updateField(id, patch);
    await audit.record(actor, 'log_field.update', { type: 'log_field', id }, { key: field.key, ...patch });
    return { ...field, ...patch };
  }

  async deleteField(actor: Actor, id: string): Promise<void> {
    requireAdmin(actor, 'define logging fields');
    const { catalog, audit } = this.deps;
    const field = (await catalog.logs.fields()).find((f) => f.id === id);
    if (!field) throw new NotFound('The custom field was not found.');
    await catalog.logs.deleteField(id);
    await audit.record(actor, 'log_field.delete', { type: 'log_field', id }, { key: field.key });
  }
}

export function toLogView(log: AssetLog, keyOf: Map<string, string>): LogView {
  return {
    ...namedLog(log, keyOf),
    automatic: AUTOMATIC_FIELDS.filter((f) => {
      const source = f === 'camera' ? log.cameraSource : log.reelSource;
      return log[f] !== null && (source === 'name' || source === 'metadata');
    }),
  };
}

function fieldLabel(label: string): string {
  const text = normaliseText(label, 'label', 64);
  if (text === null || text.includes('\n'))
    throw new Invalid('A field needs a one-line label.', { field: 'label' });
  return text;
}

function fieldChoices(kind: CustomFieldKind, choices: string[]): string[] {
  if (kind !== 'choice') {
    if (choices.length > 0) throw new Invalid('Only a choice field has choices.', { field: 'choices' });
    return [];
  }
  const out: string[] = [];
  for (const c of choices) {
    const text = normaliseText(c, 'choice', 64);
    if (text === null || text.includes('\n'))
      throw new Invalid('A choice is one line of text.', { field: 'choices' });
    if (out.some((o) => o.toLowerCase() === text.toLowerCase()))
      throw new Invalid(`The choice "${text}" is listed twice.`, { field: 'choices' });
    out.push(text);
  }
  if (out.length === 0 || out.length > 100)
    throw new Invalid('A choice field has 1 to 100 choices.', { field: 'choices' });
  return out;
}
