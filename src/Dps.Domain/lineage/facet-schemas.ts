/**
 * The OpenLineage schema versions DPS writes against (the copies vendored in tests/fixtures/openlineage
 * are these versions; a test pins that they agree). A facet's `_schemaURL` is its schema's definition.
 */
export const RUN_EVENT_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

const FACET_VERSIONS = {
  SchemaDatasetFacet: '1-2-0',
  DataQualityMetricsInputDatasetFacet: '1-0-3',
  OutputStatisticsOutputDatasetFacet: '1-0-2',
  JobTypeJobFacet: '2-0-4',
  SourceCodeLocationJobFacet: '1-1-0',
  ErrorMessageRunFacet: '1-0-1',
  ParentRunFacet: '1-2-0',
  ProcessingEngineRunFacet: '1-1-1',
} as const;

/** A standard facet's name in the spec (its schema file and definition). */
export type StandardFacet = keyof typeof FACET_VERSIONS;

/** The `_schemaURL` of a standard facet: `https://openlineage.io/spec/facets/{version}/{Facet}.json#/$defs/{Facet}`. */
export function standardFacetSchemaUrl(facet: StandardFacet): string {
  return `https://openlineage.io/spec/facets/${FACET_VERSIONS[facet]}/${facet}.json#/$defs/${facet}`;
}
