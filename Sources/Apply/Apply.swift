// Apply: approvals, stale-plan check, journal, rollback (see issue 5).
