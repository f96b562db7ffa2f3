"""Filing incident reports: the form and API, the filing rules and the review of reports."""
