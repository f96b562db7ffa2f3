"""Reports upward: one document model rendered to HTML, PDF, Word and Excel."""
