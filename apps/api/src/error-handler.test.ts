import { describe, expect, it } from 'vitest';
import { ApiError } from '@trainyard/contracts';
import { schemaIssuesToDetails, toApiError, toJsonPath } from './error-handler.ts';

describe('error mapping', () => {
  it('turns JSON pointers into the paths people write', () => {
    expect(toJsonPath('/model/layers/1/activation')).toBe('model.layers[1].activation');
    expect(toJsonPath('/inputs/0/2')).toBe('inputs[0][2]');
    expect(toJsonPath('', 'query')).toBe('query');
    expect(toJsonPath('/limit', 'query')).toBe('query.limit');
    expect(toJsonPath('/a~1b')).toBe('a/b');
  });

  it('names missing and unknown fields and lists allowed values', () => {
    const details = schemaIssuesToDetails(
      [
        { instancePath: '/model', keyword: 'required', params: { missingProperty: 'layers' }, message: "must have required property 'layers'" },
        { instancePath: '/training', keyword: 'additionalProperties', params: { additionalProperty: 'epoch' }, message: 'must NOT have additional properties' },
        { instancePath: '/model/layers/0/activation', keyword: 'enum', params: { allowedValues: ['relu', 'tanh'] }, message: 'must be equal to one of the allowed values' },
        { instancePath: '/webhook', keyword: 'anyOf', params: {}, message: 'must match a schema in anyOf' },
      ],
      'body',
    );
    expect(details).toEqual([
      { path: 'model.layers', message: 'is required' },
      { path: 'training.epoch', message: 'is not a known field' },
      { path: 'model.layers[0].activation', message: 'must be one of: relu, tanh' },
    ]);
  });

  it('keeps client errors 4xx and hides everything else behind a 500 internal', () => {
    expect(toApiError(Object.assign(new Error('too big'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' })).status).toBe(413);
    expect(toApiError(Object.assign(new Error('bad json'), { statusCode: 400 })).code).toBe('bad_request');
    expect(toApiError(Object.assign(new Error('no parser'), { statusCode: 415 })).code).toBe('unsupported_media_type');
    const internal = toApiError(new TypeError('cannot read properties of undefined'));
    expect([internal.status, internal.code, internal.message]).toEqual([500, 'internal', 'internal error']);
    const own = new ApiError('conflict', 'busy');
    expect(toApiError(own)).toBe(own);
  });
});
