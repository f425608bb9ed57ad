import { Type, type Static } from 'typebox';
import { Timestamp } from './common.ts';

export const CreateTenantBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }) },
  { additionalProperties: false },
);
export type CreateTenantBody = Static<typeof CreateTenantBody>;

export const CreateTenantResponse = Type.Object({
  tenant: Type.Object({ id: Type.String(), name: Type.String() }),
  apiKey: Type.String({ description: 'Shown once; only its hash is stored' }),
});

export const CreateKeyResponse = Type.Object({
  id: Type.String(),
  apiKey: Type.String({ description: 'Shown once; only its hash is stored' }),
});

export const RevokeKeyResponse = Type.Object({ id: Type.String(), revokedAt: Timestamp });
