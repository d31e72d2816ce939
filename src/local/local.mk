# placeholder, replaced by the local-stack work
