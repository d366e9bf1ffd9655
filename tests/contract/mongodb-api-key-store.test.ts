import { MongoClient } from 'mongodb';
import { MongoDbApiKeyStore } from '../../src/infrastructure/api-keys/mongodb-api-key-store';
import { apiKeyStoreContract } from './api-key-store.contract';

const url = process.env.MONGODB_URL;
const dbName = `ledgerline_test_keys_${process.pid}`;
let client: MongoClient | undefined;

if (url) {
  afterAll(async () => {
    await client?.db(dbName).dropDatabase();
    await client?.close();
  });
  apiKeyStoreContract('MongoDB', async () => {
    client ??= await new MongoClient(url).connect();
    await client.db(dbName).collection('api_keys').deleteMany({});
    return new MongoDbApiKeyStore(client, dbName);
  });
} else {
  it.skip('ApiKeyStore contract: MongoDB (set MONGODB_URL to run it)', () => undefined);
}
