export const pluginId = 'gitops-promotion';
