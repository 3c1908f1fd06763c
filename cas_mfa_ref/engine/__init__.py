"""The decision pipeline of one CAS login, one stage a module, each stage recorded in a trace."""
