/**
 * ASC MHL results kept in the catalog: for each card (a folder holding an `ascmhl/` history)
 * the last verification of what the lake holds against it, and each asset's verdict.
 */

/** An asset's verdict against the history of the card it is in (`unlisted`: not in the list). */
export type AssetMhlVerdict = 'verified' | 'mismatch' | 'unlisted' | 'unverifiable';

export interface AssetMhlCheck {
  assetId: string;
  /** The folder holding the history (the card). */
  cardFolderId: string;
  verdict: AssetMhlVerdict;
  /** Formats compared, e.g. `xxh64,md5`; empty when none was. */
  formats: string;
  /** Why it is a mismatch or unverifiable, as a person reads it. */
  reason: string | null;
  checkedAt: number;
}

/** A card's last verification. */
export interface MhlCard {
  folderId: string;
  checkedAt: number;
  generations: number;
  verified: number;
  mismatched: number;
  unlisted: number;
  /** Paths under the card the history lists that the lake does not hold. */
  missing: string[];
  /** What in the history could not be read or trusted. */
  problems: string[];
}

export interface MhlRepository {
  /** Replaces a card's verification and its assets' verdicts, in one transaction. */
  saveCard(card: MhlCard, checks: AssetMhlCheck[]): Promise<void>;
  card(folderId: string): Promise<MhlCard | null>;
  /** Of these folders, those that hold a verified history. */
  cardsAmong(folderIds: string[]): Promise<Set<string>>;
  checksFor(assetIds: string[]): Promise<AssetMhlCheck[]>;
}
