# placeholder, replaced by the infra work
