"""The participatory core: events, contributors, mapped features, nuisance reports, moderation."""
