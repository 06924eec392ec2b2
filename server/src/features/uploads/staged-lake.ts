import type { ObjectStore } from '../../ports/object-store.js';
import type { LakeSettings, LakeSwitch } from '../../ports/settings.js';
import type { UploadStore } from '../../ports/upload-store.js';

/**
 * The lake as the settings page swaps it, with the upload staging that lives inside it: the new
 * lake's staging is made before the lake itself is swapped, so an upload that begins after the
 * swap stages where it will be published.
 */
export class StagedLake implements LakeSwitch {
  private current: UploadStore;

  constructor(
    private readonly lake: { swap(store: ObjectStore): void },
    private readonly stagingFor: (store: ObjectStore, lake: LakeSettings) => UploadStore,
    initial: UploadStore,
  ) {
    this.current = initial;
  }

  /** The staging of the lake in use now. */
  get staging(): UploadStore {
    return this.current;
  }

  swap(store: ObjectStore, lake: LakeSettings): void {
    this.current = this.stagingFor(store, lake);
    this.lake.swap(store);
  }
}
