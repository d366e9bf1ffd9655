import { MongoClient } from 'mongodb';
import { MongoDbApiKeyStore } from '../../src/infrastructure/api-keys/mongodb-api-key-store';
import { apiKeyStoreContract } from './api-key-store.contract';

const url = process.env.MONGODB_URL;
const dbName = `ledgerline_test_keys_${process.pid}`;
let client: MongoClient | undefined;

// Gated on its server, as the other MongoDB suites are.
const describeIfMongo = url ? describe : describe.skip;

describeIfMongo('MongoDbApiKeyStore on MONGODB_URL', () => {
  afterAll(async () => {
    await client?.db(dbName).dropDatabase();
    await client?.close();
  });
  apiKeyStoreContract('MongoDB', async () => {
    client ??= await new MongoClient(url as string).connect();
    await client.db(dbName).collection('api_keys').deleteMany({});
    return new MongoDbApiKeyStore(client, dbName);
  });
});
