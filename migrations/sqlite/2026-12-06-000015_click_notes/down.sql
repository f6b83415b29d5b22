DROP TABLE click_notes;
