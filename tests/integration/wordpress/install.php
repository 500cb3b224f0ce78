<?php
// Installs one WordPress site and seeds it from a JSON file, through WordPress's own API.
// php install.php SEED.json   (env: WORDPRESS_CONFIG, SITE_URL)
$installing = true;
require __DIR__ . '/load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

$seed = json_decode(file_get_contents($argv[1]), true);
$url = getenv('SITE_URL');

wp_install($seed['title'], 'quantri', 'quantri@example.org', true, '', 'mat-khau-thu-nghiem');
update_option('siteurl', $url);
update_option('home', $url);
update_option('timezone_string', 'Asia/Ho_Chi_Minh');
update_option('posts_per_rss', 10);
update_option('permalink_structure', $seed['pretty'] ? '/%year%/%monthnum%/%postname%/' : '');
switch_theme('twentytwentyone');
// A text widget carrying the campaign banner, as union sites put it in a sidebar
update_option('widget_text', array(2 => array('title' => '', 'text' => $seed['banner']),
                                   '_multiwidget' => 1));
update_option('sidebars_widgets', array('sidebar-1' => array('text-2'),
                                        'array_version' => 3));
wp_delete_post(1, true);  // "Hello world!"

$categories = array();
foreach ($seed['categories'] as $key => $cat) {
    $term = wp_insert_term($cat['name'], 'category', array('slug' => $cat['slug']));
    if (is_wp_error($term)) {
        fwrite(STDERR, $term->get_error_message() . "\n");
        exit(1);
    }
    $categories[$key] = $term['term_id'];
}

$ids = array();
foreach ($seed['posts'] as $post) {
    $status = $post['status'];
    $args = array(
        'post_title' => $post['title'],
        'post_content' => $post['content'],
        'post_status' => $status === 'trash' ? 'publish' : $status,
        'post_date' => $post['date_local'],
        'post_date_gmt' => $post['date_gmt'],
        'post_category' => array_map(function ($k) use ($categories) {
            return $categories[$k];
        }, $post['categories']),
        'tags_input' => $post['tags'],
    );
    $id = wp_insert_post($args, true);
    if (is_wp_error($id)) {
        fwrite(STDERR, $id->get_error_message() . "\n");
        exit(1);
    }
    if ($status === 'trash') {
        wp_trash_post($id);
    }
    $ids[$post['key']] = $id;
}
flush_rewrite_rules();
echo json_encode(array('version' => get_bloginfo('version'), 'ids' => $ids)), "\n";
