DROP TABLE payout_batch_items;
DROP TABLE payout_batches;
