import type { HarnessClient, HarnessCall } from './client'
import { formatOutcome, jsLiteral } from './format'

export interface DemoStep {
  /** The Segment call, as written in the seed (one line). */
  call: string
  route: 'identify' | 'track' | 'delete'
  payload: Record<string, unknown>
}

const JOHN = 'userId123'
const AUDIENCE = 'order_completed_last_30days'

function identify(userId: string, traits: Record<string, unknown>, extra: Record<string, unknown> = {}): DemoStep {
  return {
    call: `analytics.identify(${jsLiteral(userId)}, ${jsLiteral(traits)})`,
    route: 'identify',
    payload: { type: 'identify', userId, traits, ...extra }
  }
}

function track(userId: string, event: string, properties?: Record<string, unknown>): DemoStep {
  const args = properties ? `${jsLiteral(event)}, ${jsLiteral(properties)}` : jsLiteral(event)
  return {
    call: `analytics.track(${args})  // userId ${jsLiteral(userId)}`,
    route: 'track',
    payload: { type: 'track', userId, event, properties: properties ?? {} }
  }
}

/** What Engage sends when a user enters (`true`) or leaves (`false`) a computed audience. */
function audience(userId: string, member: boolean): DemoStep {
  const step = identify(
    userId,
    { [AUDIENCE]: member },
    {
      context: {
        personas: {
          computation_class: 'audience',
          computation_key: AUDIENCE,
          computation_id: 'aud_demo_order_completed',
          space_id: 'spa_demo',
          namespace: 'spa_demo'
        }
      }
    }
  )
  return { ...step, call: `Engage audience ${member ? 'entry' : 'exit'}: ${step.call}` }
}

/** The seed's sample calls, in order. */
export function demoSteps(): DemoStep[] {
  const john = { email: 'john.doe@example.com', first_name: 'John', last_name: 'Doe' }
  return [
    identify(JOHN, {
      email: 'john.doe@example.com',
      firstName: 'John',
      lastName: 'Doe',
      age: 25,
      existingCustomer: true
    }),
    track(JOHN, 'registration', { ...john, partner_user_id: JOHN }),
    track(JOHN, 'conversion', { ...john, partner_conversion_id: 'purchaseId123', cart_value: '99.99' }),
    track(JOHN, 'Login Button Clicked'),
    audience(JOHN, true),
    audience(JOHN, false),
    // The deletion needs someone to erase: create that person first.
    identify('056tf9eqw24', { email: 'jane.roe@example.com', firstName: 'Jane', lastName: 'Roe' }),
    {
      call: `Segment deletion request ${jsLiteral({ userId: '056tf9eqw24' })}`,
      route: 'delete',
      payload: { userId: '056tf9eqw24' }
    }
  ]
}

/** Sends every step through the harness, printing the call, the Extole request and the outcome. */
export async function runDemo(
  client: HarnessClient,
  settings: Record<string, unknown>,
  print: (line: string) => void
): Promise<{ calls: number; failed: number }> {
  const steps = demoSteps()
  let failed = 0
  for (const [index, step] of steps.entries()) {
    const timestamp = new Date().toISOString()
    let result: HarnessCall
    if (step.route === 'delete') {
      result = await client.delete(step.payload, settings)
    } else {
      const event = { ...step.payload, timestamp, messageId: `demo-${index + 1}` }
      result = await client.action(step.route, event, settings)
    }
    if (!result.ok) failed++
    print(`[${index + 1}] ${step.call}`)
    for (const line of formatOutcome(result)) print(line)
  }
  return { calls: steps.length, failed }
}
