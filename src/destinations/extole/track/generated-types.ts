// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The Extole event name. Defaults to the Segment event name; set it to `registration`, `conversion` or any event your Extole program listens for.
   */
  event_name: string
  /**
   * Your own identifier for the person, stored by Extole as `partner_user_id`. Extole needs it or an email on every event.
   */
  partner_user_id?: string
  /**
   * The person’s email address: Extole’s primary identity key and the only one that merges profiles.
   */
  email?: string
  /**
   * The person’s first name, stored on the Extole profile as `first_name`.
   */
  first_name?: string
  /**
   * The person’s last name, stored on the Extole profile as `last_name`.
   */
  last_name?: string
  /**
   * Your identifier for a conversion (an order id). Extole de-duplicates conversions that repeat it, so retries never count twice.
   */
  partner_conversion_id?: string
  /**
   * The conversion amount, sent as a decimal string such as `99.99`.
   */
  cart_value?: string
  /**
   * A coupon or referral code used with the event.
   */
  coupon_code?: string
  /**
   * Other event properties, sent to Extole in the event’s data under their own names and JSON types.
   */
  properties?: {
    [k: string]: unknown
  }
  /**
   * When the event happened: an ISO 8601 date-time (read as UTC when it has no offset) or epoch milliseconds. Defaults to the Segment timestamp.
   */
  event_time?: string | number
  /**
   * Send events to Extole in batches through its high-volume endpoint. Each event still gets its own result.
   */
  enable_batching?: boolean
  /**
   * Maximum number of events in one batch (1 to 1000).
   */
  batch_size?: number
}
