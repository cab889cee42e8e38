/** The kinds of backend plugin a project can be. */
export type PluginType = "datasource" | "app";

/** Every {@link PluginType}, in the order prompts offer them. */
export const pluginTypes: readonly PluginType[] = ["datasource", "app"];

// Grafana's own rule for plugin ids (plugin.json schema): <org>-[<name>-]<type>, lowercase letters and digits.
const idPattern = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/;

/**
 * Checks a plugin id as Grafana does (`<org>-<name>-<type>`, lowercase letters and digits, e.g.
 * `myorg-ramp-datasource`) and that it ends in the plugin's type. Returns what is wrong, in a
 * sentence, or undefined when the id is valid.
 */
export function validatePluginId(id: string, type: PluginType): string | undefined {
  const example = `myorg-ramp-${type}`;
  if (id === "") return `the plugin id is empty; use the form <org>-<name>-${type}, e.g. ${example}`;
  if (id !== id.toLowerCase()) {
    return `the plugin id "${id}" has uppercase letters; Grafana plugin ids are lowercase, e.g. ${example}`;
  }
  if (!id.endsWith(`-${type}`)) {
    return `the plugin id "${id}" must end in "-${type}" for a ${type} plugin, e.g. ${example}`;
  }
  if (!idPattern.test(id)) {
    return `the plugin id "${id}" is not of the form <org>-<name>-${type} (lowercase letters and digits, each part joined by one "-"), e.g. ${example}`;
  }
  return undefined;
}
