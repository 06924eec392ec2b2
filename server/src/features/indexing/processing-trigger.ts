import type { Asset } from '../../ports/catalog.js';

/**
 * What indexing tells processing: new or changed content is to be prepared; removed assets'
 * derivatives are to be deleted. The processing feature implements it; until then, nothing.
 */
export interface ProcessingTrigger {
  assetsIngested(assets: Asset[]): Promise<void>;
  assetsRemoved(assetIds: string[]): Promise<void>;
}

export const noProcessing: ProcessingTrigger = {
  assetsIngested: async () => {},
  assetsRemoved: async () => {},
};
