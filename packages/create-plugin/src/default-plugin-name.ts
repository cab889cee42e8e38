/**
 * The human-readable name for a plugin id: its name part (its org when it has none), words
 * capitalized, e.g. `"Ramp"` for `myorg-ramp-datasource`.
 */
export function defaultPluginName(id: string): string {
  const parts = id.split("-");
  const word = (parts.length >= 3 ? parts[1] : parts[0]) ?? "";
  return word === "" ? id : word.charAt(0).toUpperCase() + word.slice(1);
}
