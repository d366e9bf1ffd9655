import type { Collection, MongoClient } from 'mongodb';
import type { ApiKeyStore, StoredApiKey } from '../../application/ports/api-key-store.port';

interface ApiKeyDoc extends Omit<StoredApiKey, 'id' | 'scopes'> {
  _id: string;
  scopes: string[];
}

const COLLECTION = 'api_keys';

const fromDoc = ({ _id, ...rest }: ApiKeyDoc): StoredApiKey => ({ id: _id, ...rest });

/**
 * API keys in MongoDB (the production topology): every instance reads the same collection on
 * every request, so a revocation through any of them is refused by all at once. The client is
 * the read models' and is closed with them.
 */
export class MongoDbApiKeyStore implements ApiKeyStore {
  private readonly keys: Collection<ApiKeyDoc>;

  constructor(client: MongoClient, dbName: string) {
    this.keys = client.db(dbName).collection<ApiKeyDoc>(COLLECTION);
  }

  async insert(key: StoredApiKey): Promise<void> {
    const { id, scopes, ...rest } = key;
    await this.keys.insertOne({ _id: id, scopes: [...scopes], ...rest });
  }

  async find(id: string): Promise<StoredApiKey | null> {
    const doc = await this.keys.findOne({ _id: id });
    return doc ? fromDoc(doc) : null;
  }

  async list(): Promise<StoredApiKey[]> {
    return (await this.keys.find().sort({ createdAt: 1, _id: 1 }).toArray()).map(fromDoc);
  }

  async revoke(id: string, at: string): Promise<StoredApiKey | null> {
    await this.keys.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } });
    return this.find(id);
  }

  async close(): Promise<void> {
    // The shared client is closed by the read-model store.
  }
}
