"""One router per aggregate; each route calls a repository and shapes its answer."""
