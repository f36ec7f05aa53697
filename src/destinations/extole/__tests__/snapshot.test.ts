import nock from 'nock'
import { createTestEvent, createTestIntegration, type InputField } from '@segment/actions-core'
import Definition from '../index'
import { generateTestData } from './snapshot-data'
import { settings } from './helpers'

const testDestination = createTestIntegration(Definition)
const destinationSlug = 'actions-extole'

describe(`Testing snapshot for ${destinationSlug} destination:`, () => {
  for (const actionSlug of Object.keys(Definition.actions)) {
    const fields = Definition.actions[actionSlug].fields as Record<string, InputField>

    it(`${actionSlug} action - required fields`, async () => {
      const mapping = generateTestData(`${destinationSlug}#${actionSlug}`, fields, true)
      const event = createTestEvent({ properties: mapping })
      // Extole needs an email or a partner_user_id, and neither is a required field, so this is a refusal.
      await expect(
        testDestination.testAction(actionSlug, { event, mapping: event.properties, settings })
      ).rejects.toThrowErrorMatchingSnapshot()
    })

    it(`${actionSlug} action - all fields`, async () => {
      nock(/.*/).post(/.*/).reply(200, { event_id: 'e', person_id: 'p' })
      const mapping = generateTestData(`${destinationSlug}#${actionSlug}`, fields, false)
      const event = createTestEvent({ properties: mapping })
      const responses = await testDestination.testAction(actionSlug, { event, mapping: event.properties, settings })
      const request = responses[0].request
      expect(request.url).toMatchSnapshot()
      expect(await request.json()).toMatchSnapshot()
      expect(Object.fromEntries(request.headers as unknown as Iterable<[string, string]>)).toMatchSnapshot()
    })
  }
})
