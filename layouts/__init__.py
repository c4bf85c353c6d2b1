"""Page layouts: functions that build fresh components per request and register no callbacks."""
