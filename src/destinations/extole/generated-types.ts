// Generated file. DO NOT MODIFY IT BY HAND.

export interface Settings {
  /**
   * An Extole access token. Create one in Extole’s Tech Center (Security → Access Tokens) and paste it here; Segment keeps it secret.
   */
  apiKey: string
}
