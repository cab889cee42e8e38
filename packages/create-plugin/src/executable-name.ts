/**
 * The `executable` of plugin.json for an id: `gpx_` and the id's name part (its org when it has
 * none), e.g. `gpx_ramp` for `myorg-ramp-datasource`. The id must be valid.
 */
export function executableName(id: string): string {
  const parts = id.split("-");
  return `gpx_${parts.length === 3 ? parts[1] : parts[0]}`;
}
