import { uploadStoreContract } from './upload-store.contract.js';

// Real: a server on loopback with an fs lake in a temp dir; staging beside it on the same disk.
uploadStoreContract('fs', async () => ({}));
