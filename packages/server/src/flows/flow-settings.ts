import type { LlmOptions, PhoneRegion } from '@interlog/flows'
import type { Config } from '../config/config.js'

/** What the flows and extraction services are configured with. */
export interface FlowSettings {
  /** Absent: no LLM; reply nodes need templates and extraction runs offline. */
  llm?: LlmOptions
  toolUrlPrefixes: readonly string[]
  phoneRegion: PhoneRegion
  maxIterations: number
  snapshotDir?: string
}

export const DEFAULT_FLOW_SETTINGS: FlowSettings = { toolUrlPrefixes: [], phoneRegion: 'US', maxIterations: 10 }

export function flowSettingsFrom(config: Config): FlowSettings {
  return {
    llm: config.flowsLlmModel === undefined ? undefined : { model: config.flowsLlmModel, baseUrl: config.flowsLlmBaseUrl, apiKey: config.flowsLlmApiKey },
    toolUrlPrefixes: config.flowsToolUrlPrefixes,
    phoneRegion: config.flowsPhoneRegion as PhoneRegion,
    maxIterations: config.flowsMaxIterations,
    snapshotDir: config.flowsSnapshotDir,
  }
}
