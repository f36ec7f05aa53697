import nock from 'nock'
import {
  createTestIntegration,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError
} from '@segment/actions-core'
import Definition from '../../index'
import { ERASURE_NOTE } from '../index'
import { API, API_KEY, extoleError, settings } from '../../__tests__/helpers'

const testDestination = createTestIntegration(Definition)

const erasure = () =>
  nock(API)
    .post('/v4/erasures', { partner_user_id: '056tf9eqw24', note: ERASURE_NOTE })
    .matchHeader('authorization', `Bearer ${API_KEY}`)

describe('Extole onDelete', () => {
  it('sends the seed doc’s deletion of 056tf9eqw24 as an Extole erasure', async () => {
    const answer = { status: 'PENDING', note: ERASURE_NOTE, created_date: '2024-01-15T12:00:00Z' }
    erasure().reply(200, answer)
    const result = await testDestination.onDelete!({ type: 'delete', userId: '056tf9eqw24' } as never, settings)
    expect(result).toEqual(answer)
  })

  it('refuses a deletion without userId, naming the field, and sends nothing', async () => {
    await expect(
      testDestination.onDelete!({ type: 'delete', anonymousId: 'anon-1' } as never, settings)
    ).rejects.toThrow(PayloadValidationError)
    await expect(testDestination.onDelete!({ type: 'delete', userId: '  ' } as never, settings)).rejects.toThrow(
      /`userId`/
    )
  })

  it('hands a 503 back to Segment as retryable', async () => {
    erasure().reply(503, extoleError('service_unavailable', 503))
    await expect(
      testDestination.onDelete!({ type: 'delete', userId: '056tf9eqw24' } as never, settings)
    ).rejects.toThrow(RetryableError)
  })

  it('reports a rejected key as an authentication failure without the key', async () => {
    erasure().times(2).reply(401, extoleError('method_unauthorized', 401))
    const attempt = testDestination.onDelete!({ type: 'delete', userId: '056tf9eqw24' } as never, settings)
    await expect(attempt).rejects.toThrow(InvalidAuthenticationError)
    await expect(
      testDestination.onDelete!({ type: 'delete', userId: '056tf9eqw24' } as never, settings)
    ).rejects.not.toThrow(API_KEY)
  })
})
