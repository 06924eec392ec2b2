import { testLakeConfig } from '../support/services.js';
import { uploadStoreContract } from './upload-store.contract.js';

// Real: a server on loopback with its lake in a fresh Swift s3api bucket (signatures checked).
uploadStoreContract('s3', () => testLakeConfig('s3'));
