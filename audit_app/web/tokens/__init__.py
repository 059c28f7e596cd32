"""Personal API tokens: the page where users create and revoke their own."""
