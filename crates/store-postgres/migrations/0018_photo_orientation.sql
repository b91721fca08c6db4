-- The installation photo's EXIF orientation (1 to 8, TIFF tag 274), read from the photo when it is uploaded:
-- how to turn the stored pixels to show the photo upright. NULL: the photo has none (shown as stored), or
-- it was stored before this column.
ALTER TABLE installations ADD COLUMN photo_orientation bigint CHECK (photo_orientation BETWEEN 1 AND 8);
