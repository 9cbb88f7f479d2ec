/** Who emits the events: DPS's source repository (when the deployment names it), its package version and git commit. */
export interface LineageProducer {
  /** The repository's web URL, e.g. `https://github.com/org/dps` (DPS_SOURCE_REPOSITORY); empty: unknown. */
  repository: string;
  /** The package version (package.json). */
  version: string;
  /** The deployed git commit (DPS_SOURCE_COMMIT); empty: unknown. */
  commit: string;
}

/** The source revision: the commit when known, else the version tag. */
export function sourceRevision(producer: LineageProducer): string {
  return producer.commit || `v${producer.version}`;
}

/**
 * The event's `producer` URI: the repository at the deployed revision, as the spec's example does
 * (`https://github.com/OpenLineage/OpenLineage/blob/v1-0-0/client`); without a repository a URN that
 * still carries the version, so every event says which code wrote it.
 */
export function producerUri(producer: LineageProducer): string {
  if (producer.repository) return `${producer.repository.replace(/\/+$/, '')}/tree/${sourceRevision(producer)}`;
  return `urn:dps:${encodeURIComponent(producer.version)}${producer.commit ? `:${encodeURIComponent(producer.commit)}` : ''}`;
}

/** The version DPS reports as its processing engine's: the package version, with the commit as semver build metadata when known. */
export function engineVersion(producer: LineageProducer): string {
  return producer.commit ? `${producer.version}+${producer.commit.slice(0, 12)}` : producer.version;
}

/** A URL of a file in DPS's repository at the deployed revision; undefined without a repository. */
export function sourceFileUrl(producer: LineageProducer, path: string): string | undefined {
  return producer.repository ? `${producer.repository.replace(/\/+$/, '')}/blob/${sourceRevision(producer)}/${path}` : undefined;
}

/** The `_schemaURL` of one of DPS's own facets: its schema in `docs/lineage/` at the deployed revision (a URN without a repository). */
export function dpsFacetSchemaUrl(producer: LineageProducer, facet: string): string {
  return sourceFileUrl(producer, `docs/lineage/${facet}.json#/$defs/${facet}`) ?? `urn:dps:facet:${facet}:1-0-0`;
}
