<?php
// Changes a seeded site between two crawls: edits a post's title, publishes a new one.
// php edit.php POST_ID "New title" "New post title" CATEGORY_SLUG DATE_GMT
require __DIR__ . '/load.php';
list(, $id, $title, $new_title, $slug, $date_gmt) = $argv;
$result = wp_update_post(array('ID' => (int) $id, 'post_title' => $title), true);
if (is_wp_error($result)) {
    fwrite(STDERR, $result->get_error_message() . "\n");
    exit(1);
}
$term = get_term_by('slug', $slug, 'category');
$new = wp_insert_post(array(
    'post_title' => $new_title,
    'post_content' => 'Bài mới đăng sau lần thu thập đầu.',
    'post_status' => 'publish',
    'post_date_gmt' => $date_gmt,
    'post_date' => get_date_from_gmt($date_gmt),
    'post_category' => array($term->term_id),
), true);
echo json_encode(array('new' => $new)), "\n";
